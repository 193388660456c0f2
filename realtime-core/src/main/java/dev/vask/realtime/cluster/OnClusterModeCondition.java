package dev.vask.realtime.cluster;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** See {@link ConditionalOnClusterMode}. */
class OnClusterModeCondition extends SpringBootCondition {

    static final String PROPERTY = "vask.cluster.redis-url";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnClusterMode.class.getName());
        boolean wantClustered = attributes == null || (Boolean) attributes.get("clustered");
        String url = context.getEnvironment().getProperty(PROPERTY, "");
        boolean clustered = !url.isBlank();
        return clustered == wantClustered
                ? ConditionOutcome.match(clustered ? "cluster mode: " + PROPERTY + " is set" : "single-node mode: no " + PROPERTY)
                : ConditionOutcome.noMatch(clustered ? "cluster mode: " + PROPERTY + " is set" : "single-node mode: no " + PROPERTY);
    }
}
