package dev.infuse.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values an integer flag accepts, written beside the flag and checked by {@link Ranges} for every command
 * before it runs, so {@code --batch-size 0} is one line and not an endless loop deep inside.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
@interface Range {
    long min();

    long max() default Integer.MAX_VALUE;

    /** Why the bound is there, when the number alone does not say it (appended to the error). */
    String why() default "";
}
