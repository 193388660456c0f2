package dev.vask.realtime.cluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Registers the bean or configuration only in cluster mode ({@code vask.cluster.redis-url} set and not
 * blank: {@code VASK_REDIS_URL}), or with {@code clustered = false} only in single-node mode. An empty
 * {@code VASK_REDIS_URL} is single-node, which {@code @ConditionalOnProperty} alone would not say.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnClusterModeCondition.class)
public @interface ConditionalOnClusterMode {

    boolean clustered() default true;
}
