package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The shared option groups keep every command's flags, defaults and required-ness as they were. */
class SharedOptionsTest {
    private static OptionSpec option(String command, String name) {
        CommandLine c = new CommandLine(new Main());
        for (String part : command.split(" ")) {
            c = c.getSubcommands().get(part);
        }
        OptionSpec o = c.getCommandSpec().findOption(name);
        assertNotNull(o, command + " has no " + name);
        return o;
    }

    @Test
    void modelDefaultsToTheBuiltInExceptWhereItWasRequired() {
        for (String cmd : List.of("bench", "bench pelt", "fill-mask", "pelt build", "pretrain", "probe", "zeo vectors", "zeo run",
                "zeo instances")) {
            assertEquals("bert-base-uncased", option(cmd, "--model").defaultValueString(), cmd);
        }
        assertTrue(option("finetune", "--model").required());
    }

    @Test
    void seedIs42ButSevenForTheMatcherBench() {
        for (String cmd : List.of("bench", "finetune", "pelt build", "pretrain", "zeo run", "zeo instances")) {
            assertEquals("42", option(cmd, "--seed").defaultValueString(), cmd);
        }
        assertEquals("7", option("bench matcher", "--seed").defaultValueString());
    }

    @Test
    void jsonAndRunDirectoryFlagsAreWhereTheyWere() {
        for (String cmd : List.of("bench engine", "bench pelt", "bench matcher", "eval", "fill-mask", "finetune", "pretrain", "probe")) {
            assertEquals(0, option(cmd, "--json").arity().max(), cmd);
        }
        for (String cmd : List.of("finetune", "pretrain", "zeo run")) {
            assertTrue(option(cmd, "--output-dir").required(), cmd);
            option(cmd, "--overwrite");
            option(cmd, "--resume");
        }
    }

    @Test
    void theMatcherSeedReachesTheCommand() {
        MatcherBench m = new MatcherBench();
        new CommandLine(m).parseArgs();
        assertEquals(7, m.seed.value);
        new CommandLine(m).parseArgs("--seed", "9");
        assertEquals(9, m.seed.value);
    }
}
