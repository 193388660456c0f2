package dev.vask.realtime.testing;

import dev.vask.realtime.app.InMemoryAppDirectory;
import dev.vask.realtime.config.RealtimeConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Realtime alone on a real Reactor Netty server, with apps held in memory. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(RealtimeConfiguration.class)
public class RealtimeTestApplication {

    @Bean
    InMemoryAppDirectory appDirectory() {
        return new InMemoryAppDirectory();
    }
}
