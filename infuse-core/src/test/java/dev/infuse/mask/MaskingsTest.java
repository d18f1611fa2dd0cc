package dev.infuse.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskingsTest {
    @Test
    void namesAndMixesParse() {
        assertInstanceOf(TokenMasking.class, Maskings.parse("token"));
        assertInstanceOf(WholeWordMasking.class, Maskings.parse("WWM"));
        Mixture mix = assertInstanceOf(Mixture.class, Maskings.parse("wwm=0.5, entity=0.5"));
        assertEquals(2, mix.parts().size());
        assertTrue(Maskings.usesEntities(mix));
    }

    @Test
    void unknownNamesAndBadWeightsAreOneLineErrors() {
        InfuseException e = assertThrows(InfuseException.class, () -> Maskings.parse("bogus"));
        assertEquals("unknown masking \"bogus\": expected one of token, wwm, entity, span, non-entity or a mix like wwm=0.5,entity=0.5", e.getMessage());
        assertThrows(InfuseException.class, () -> Maskings.parse("wwm=x"));
        assertThrows(InfuseException.class, () -> Maskings.parse("wwm=-1"));
        assertThrows(InfuseException.class, () -> Maskings.parse("wwm=1,nope=1"));
    }

    @Test
    void everyRegisteredNameRoundTripsAndAliasesStillWork() {
        assertEquals(List.of("token", "wwm", "entity", "span", "non-entity"), Maskings.NAMES);
        for (String name : Maskings.NAMES) {
            assertEquals(name, Maskings.parse(name).name());
        }
        assertInstanceOf(WholeWordMasking.class, Maskings.parse("whole-word"));
        assertInstanceOf(SpanMasking.class, Maskings.parse(" Span "));
        assertEquals("wwm=2.0,entity=1.0", Maskings.parse("whole-word=2,entity=1").name());
    }

    @Test
    void onlyEntityMaskingNeedsMentions() {
        assertTrue(Maskings.usesEntities(Maskings.parse("entity")));
        assertFalse(Maskings.usesEntities(Maskings.parse("span")));
        assertFalse(Maskings.usesEntities(Maskings.parse("token=1,wwm=1")));
    }

    @Test
    void overlappingOrSpecialMentionSpansAreRejected() {
        int[] ids = {1, 7, 8, 9, 2};
        boolean[] sp = {true, false, false, false, true};
        int[] w = {-1, 0, 1, 2, -1};
        assertThrows(IllegalArgumentException.class, () -> new TokenInstance(ids, sp, w, List.of(new int[] {1, 3}, new int[] {2, 4})));
        assertThrows(IllegalArgumentException.class, () -> new TokenInstance(ids, sp, w, List.of(new int[] {0, 2})));
    }
}
