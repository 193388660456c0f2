package dev.vask.server.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Scales every fuzz property's tries by {@code -Dvask.fuzz.scale} (1 in CI: a few minutes; 10 or more for a
 * long run on demand) and takes {@code -Dvask.fuzz.seed} when given, so a long run can explore new inputs
 * while CI stays reproducible with the fixed seeds in the annotations.
 */
public final class FuzzBudget implements AroundPropertyHook {

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        int tries = context.attributes().tries()
                .orElseGet(() -> context.findAnnotation(net.jqwik.api.Property.class).map(net.jqwik.api.Property::tries).orElse(1000));
        context.attributes().setTries(FuzzedVask.tries(tries));
        // random inputs, not the generators' edge cases mixed in: those would crowd out the requests that get through
        context.attributes().setEdgeCases(net.jqwik.api.EdgeCasesMode.NONE);
        String seed = System.getProperty("vask.fuzz.seed");
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed);
        }
        return property.execute();
    }
}
