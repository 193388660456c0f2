package dev.vask.realtime.capacity;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * The process's capacity, as a Spring Boot auto-configuration: the event loops of the server port (and of any
 * Reactor Netty client), and admission control. It runs before Boot's Reactor Netty configuration, whose own
 * resource factory would otherwise give the server Reactor Netty's global loops: at least four, whatever the CPUs.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
        "org.springframework.boot.reactor.autoconfigure.ReactorAutoConfiguration",
        "org.springframework.boot.http.client.reactive.autoconfigure.ClientHttpConnectorAutoConfiguration",
        "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration"})
@EnableConfigurationProperties(CapacityProperties.class)
public class CapacityAutoConfiguration {

    /** Event loops as many as {@link CapacityProperties#eventLoopCount()}, owned by this context (stopped with it). */
    @Bean
    @ConditionalOnMissingBean
    ReactorResourceFactory reactorResourceFactory(CapacityProperties properties) {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        int loops = properties.eventLoopCount();
        // Reactor Netty's own prefix: thread names stay what profiles, dumps and the bench's CPU accounting know
        factory.setLoopResourcesSupplier(() -> LoopResources.create("reactor-http", loops, true));
        return factory;
    }

    @Bean
    @ConditionalOnMissingBean
    AdmissionControl admissionControl(CapacityProperties properties, ServerSocketTally sockets) {
        return new AdmissionControl(properties, new JvmResourceReadings(sockets));
    }

    @Bean
    @ConditionalOnMissingBean
    ServerSocketTally serverSocketTally() {
        return new ServerSocketTally();
    }
}
