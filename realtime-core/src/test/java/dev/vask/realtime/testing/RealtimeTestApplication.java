package dev.vask.realtime.testing;

import dev.vask.realtime.app.InMemoryAppDirectory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Realtime alone on a real Reactor Netty server, with apps held in memory. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RealtimeTestApplication {

    @Bean
    InMemoryAppDirectory appDirectory() {
        return new InMemoryAppDirectory();
    }
}
