package dev.vask.platform.mail;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import reactor.util.retry.Retry;

/**
 * Mail waiting to be sent, one at a time, off the request path: a request that sends mail answers
 * without waiting for the SMTP server (whose round trip would otherwise tell, by the request's timing,
 * whether an account exists). At most {@value #CAPACITY} messages wait; beyond that a message is dropped with an
 * error in the log. A message the server refuses is tried twice more, then dropped with a warning;
 * messages still waiting when Vask stops are lost (the person can ask for a new link).
 */
public final class MailOutbox implements DisposableBean {

    static final int CAPACITY = 1024;
    private static final Logger log = LoggerFactory.getLogger(MailOutbox.class);

    private final Sinks.Many<Mail> waiting = Sinks.many().unicast().onBackpressureBuffer(Queues.<Mail>get(CAPACITY).get());
    private final @Nullable Disposable worker;

    MailOutbox(Mailer mailer) {
        this(mailer, Duration.ofSeconds(1));
    }

    MailOutbox(Mailer mailer, Duration firstRetry) {
        this.worker = waiting.asFlux()
                .concatMap(mail -> mailer.send(mail)
                        .retryWhen(Retry.backoff(2, firstRetry))
                        .onErrorResume(error -> {
                            log.atWarn().addKeyValue("to", mail.to()).addKeyValue("subject", mail.subject())
                                    .log("Mail could not be sent: {}", rootMessage(error));
                            return reactor.core.publisher.Mono.empty();
                        }))
                .subscribe();
    }

    /** Queues the message; answers at once. */
    public synchronized void post(Mail mail) {
        Sinks.EmitResult result = waiting.tryEmitNext(mail);
        if (result.isFailure()) {
            log.atError().addKeyValue("to", mail.to()).addKeyValue("subject", mail.subject()).addKeyValue("result", result)
                    .log("Mail dropped: more than " + CAPACITY + " messages are waiting to be sent");
        }
    }

    @Override
    public void destroy() {
        if (worker != null) {
            worker.dispose();
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
