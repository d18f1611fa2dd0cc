package dev.infuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTest {
    private static Registry<StringBuilder> sample() {
        return new Registry<StringBuilder>()
                .register("b", () -> new StringBuilder("bee"))
                .register("a", () -> new StringBuilder("ay"))
                .alias("alpha", "a");
    }

    @Test
    void aNewEntryIsFoundByNameAndAlias() {
        Registry<StringBuilder> r = sample().register("c", () -> new StringBuilder("sea"));
        assertEquals("sea", r.create("c").orElseThrow().toString());
        assertEquals("ay", r.create("alpha").orElseThrow().toString());
        assertEquals("a", r.canonical("alpha"));
        assertTrue(r.contains("alpha") && r.contains("c"));
    }

    @Test
    void namesKeepRegistrationOrderAndLeaveAliasesOut() {
        assertEquals(List.of("b", "a"), sample().names());
    }

    @Test
    void everyCreateMakesAFreshInstance() {
        Registry<StringBuilder> r = sample();
        assertNotSame(r.create("a").orElseThrow(), r.create("a").orElseThrow());
    }

    @Test
    void unknownNamesAreEmptyAndMatchExactly() {
        Registry<StringBuilder> r = sample();
        assertTrue(r.create("z").isEmpty());
        assertFalse(r.contains("A"));
    }

    @Test
    void aNameCannotBeTakenTwice() {
        assertThrows(IllegalArgumentException.class, () -> sample().register("a", StringBuilder::new));
        assertThrows(IllegalArgumentException.class, () -> sample().register("alpha", StringBuilder::new));
        assertThrows(IllegalArgumentException.class, () -> sample().alias("b", "a"));
        assertThrows(IllegalArgumentException.class, () -> sample().alias("x", "nope"));
    }
}
