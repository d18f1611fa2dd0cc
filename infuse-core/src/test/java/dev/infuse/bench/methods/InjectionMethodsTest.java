package dev.infuse.bench.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.infuse.InfuseException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each name finds its method, and each method says where the tasks find its result, without running it. */
class InjectionMethodsTest {
    private static final Path DIR = Path.of("out", "methods", "m");

    @Test
    void theRegisteredNamesAreTheDocumentedOnes() {
        assertEquals(List.of("none", "pelt", "kbert", "token-mask", "entity-mask", "wwm", "span", "sensebert", "wklm", "libert", "kepler", "zeo", "zeo:0", "zeo:1", "zeo:2", "lora", "houlsby",
                "pfeiffer", "nmg", "ernie", "kge-concat", "vocab", "kadapter"), InjectionMethods.NAMES);
    }

    @Test
    void eachMethodSaysWhereItsResultLies() {
        for (String name : InjectionMethods.NAMES) {
            InjectionMethod m = InjectionMethods.get(name);
            String expected = switch (name) {
                case "none", "pelt", "kbert", "lora", "houlsby", "pfeiffer", "kge-concat", "kadapter" -> "base";
                case "token-mask", "entity-mask", "wwm", "span", "sensebert", "wklm", "libert", "kepler" -> DIR.toString();
                default -> DIR.resolve("model").toString();
            };
            assertEquals(expected, m.model("base", DIR), name);
            List<String> plugins = m.knowledge(DIR, 7, 7f).stream().map(dev.infuse.inject.KnowledgeSpec::name).toList();
            boolean plugin = List.of("pelt", "kbert", "lora", "houlsby", "pfeiffer", "ernie", "kge-concat", "kadapter").contains(name);
            assertEquals(plugin ? List.of(name) : List.of(), plugins, name);
        }
    }

    @Test
    void vocabGivesWayToAMaskingMethodAndRunsWholeBesidePlugIns() {
        assertEquals(DIR.resolve("entity-mask").toString(), InjectionMethods.get("vocab+entity-mask").model("base", DIR),
                "entity-mask pretrains from the extension, so its model is the combination's");
        assertEquals(DIR.resolve("entity-mask").toString(), InjectionMethods.get("entity-mask+vocab").model("base", DIR), "in either order");
        assertEquals(DIR.resolve("vocab").resolve("model").toString(), InjectionMethods.get("vocab+pelt").model("base", DIR));
        assertEquals(List.of("pelt"), InjectionMethods.get("vocab+pelt").knowledge(DIR, 7, 7f).stream().map(dev.infuse.inject.KnowledgeSpec::name).toList());
        InfuseException e = assertThrows(InfuseException.class, () -> InjectionMethods.get("vocab+zeo").model("base", DIR));
        assertEquals("vocab and zeo cannot be combined: zeo would not train the new words' rows (vocab combines with the masking methods and the plug-ins)",
                e.getMessage());
        assertThrows(InfuseException.class, () -> InjectionMethods.get("token-mask+entity-mask").model("base", DIR), "two masking methods still clash");
    }

    @Test
    void zeoIsZeoWithInjectTwo() {
        assertEquals(2, assertInstanceOf(ZeoInjection.class, InjectionMethods.get("zeo")).inject());
        for (int i = 0; i <= 2; i++) {
            assertEquals(i, assertInstanceOf(ZeoInjection.class, InjectionMethods.get("zeo:" + i)).inject());
        }
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        InfuseException e = assertThrows(InfuseException.class, () -> InjectionMethods.get("bogus"));
        assertEquals("unknown method \"bogus\" in --methods: expected none, pelt, kbert, token-mask, entity-mask, wwm, span, sensebert, wklm, libert, kepler, zeo, zeo:0, zeo:1, zeo:2, lora, houlsby, pfeiffer, nmg, ernie, kge-concat, vocab, kadapter, or several joined by + (pelt+kbert)",
                e.getMessage());
    }
}
