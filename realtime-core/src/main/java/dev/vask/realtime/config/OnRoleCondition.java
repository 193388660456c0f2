package dev.vask.realtime.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code vask.roles} (comma-separated; default every role) names the annotation's role. */
class OnRoleCondition implements Condition {

    static final String PROPERTY = "vask.roles";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnRole.class.getName());
        Role role = (Role) attributes.get("value");
        return runs(context.getEnvironment().getProperty(PROPERTY, ""), role);
    }

    static boolean runs(String roles, Role role) {
        if (roles.isBlank()) {
            return true;
        }
        return Arrays.stream(roles.split(","))
                .map(String::trim)
                .anyMatch(name -> name.toUpperCase(Locale.ROOT).equals(role.name()));
    }
}
