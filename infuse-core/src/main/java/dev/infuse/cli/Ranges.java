package dev.infuse.cli;

import java.lang.reflect.AnnotatedElement;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Checks every {@link Range} of the command about to run, mixins included; a value outside is a usage error. */
final class Ranges {
    private Ranges() {}

    static void check(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return; // nothing runs; the values are the fields' defaults
            }
        }
        for (CommandLine c : parsed.asCommandLineList()) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                Range r = rangeOf(o);
                if (r == null) {
                    continue;
                }
                Object v = o.getValue();
                if (v instanceof Number n && (n.longValue() < r.min() || n.longValue() > r.max())) {
                    throw new ParameterException(c, o.longestName() + " must be " + bounds(r) + ", found " + n
                            + (r.why().isEmpty() ? "" : " (" + r.why() + ")"));
                }
            }
        }
    }

    /** The options of {@code spec} and its subcommands that take an integer but declare no {@link Range}. */
    static List<String> unbounded(CommandLine root) {
        List<String> out = new java.util.ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(CommandLine c, List<String> out) {
        for (OptionSpec o : c.getCommandSpec().options()) {
            Class<?> t = o.type();
            boolean integral = t == int.class || t == long.class || t == Integer.class || t == Long.class;
            if (integral && rangeOf(o) == null) {
                out.add(c.getCommandSpec().qualifiedName() + " " + o.longestName());
            }
        }
        c.getSubcommands().values().forEach(sub -> collect(sub, out));
    }

    private static Range rangeOf(OptionSpec o) {
        Object element = o.userObject();
        return element instanceof AnnotatedElement a ? a.getAnnotation(Range.class) : null;
    }

    private static String bounds(Range r) {
        if (r.max() == Integer.MAX_VALUE || r.max() == Long.MAX_VALUE) {
            return "at least " + r.min();
        }
        return "between " + r.min() + " and " + r.max();
    }
}
