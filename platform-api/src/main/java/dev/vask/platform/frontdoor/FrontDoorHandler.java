package dev.vask.platform.frontdoor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.vask.platform.signature.AuthenticatedRequest;
import dev.vask.platform.signature.PusherApiAnswer;
import dev.vask.platform.signature.PusherApiAuthentication;
import dev.vask.platform.signature.PusherApiErrors;
import dev.vask.platform.signature.PusherApiException;
import dev.vask.platform.signature.PusherRequest;
import dev.vask.platform.signature.SignedQuery;
import dev.vask.realtime.app.AppConfig;
import dev.vask.realtime.capacity.Overload;
import dev.vask.realtime.reactive.Immediate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * One connection's front door: serves the Pusher API requests {@link FrontDoorRequests} takes, in the order of the
 * WebFlux road (admission, the signature over the request line before any body is read, the body under the app's
 * limit, its MD5, JSON, then the route's work), and passes everything else on to WebFlux untouched.
 *
 * <p>Responses leave in request order: a request arriving while WebFlux still owes an answer goes to WebFlux too,
 * and whatever arrives while the door serves a request waits (reading paused) until its answer is written.
 * Everything runs on the connection's event loop; the asynchronous steps come back to it.
 */
final class FrontDoorHandler extends ChannelDuplexHandler {

    static final String NAME = "vask.pusherApi";

    private final PusherApiFrontDoor door;
    private @Nullable ChannelHandlerContext context;
    /** Requests handed to WebFlux whose last response part has not been written yet. */
    private int owedByWebFlux;
    private @Nullable Exchange current;
    /** What arrived while {@link #current} was being answered, replayed once it is. */
    private @Nullable ArrayDeque<Object> waiting;

    FrontDoorHandler(PusherApiFrontDoor door) {
        this.door = door;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        Exchange exchange = current;
        if (exchange != null) {
            if (!exchange.lastSeen && message instanceof HttpContent content) {
                exchange.content(content);
            }
            else {
                waitFor(message);
            }
            return;
        }
        if (message instanceof HttpRequest request) {
            FrontDoorRoute route = owedByWebFlux == 0 ? FrontDoorRequests.route(request, door.routes) : null;
            if (route == null) {
                owedByWebFlux++;
                ctx.fireChannelRead(message);
                return;
            }
            current = new Exchange(ctx, request, route);
            current.start();
            return;
        }
        ctx.fireChannelRead(message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (owedByWebFlux > 0 && message instanceof LastHttpContent && !informational(message)) {
            owedByWebFlux--;
        }
        ctx.write(message, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (current != null) {
            current.abandon();
            current = null;
        }
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    private static boolean informational(Object message) {
        return message instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    private void waitFor(Object message) {
        if (waiting == null) {
            waiting = new ArrayDeque<>(4);
        }
        waiting.add(message);
    }

    private void releaseWaiting() {
        if (waiting != null) {
            waiting.forEach(ReferenceCountUtil::release);
            waiting = null;
        }
    }

    /** The answer is written: what waited is read now, in order, and reading resumes unless the door took a request again. */
    private void answered(ChannelHandlerContext ctx) {
        current = null;
        while (current == null && waiting != null && !waiting.isEmpty()) {
            channelRead(ctx, waiting.poll());
        }
        if (current == null) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** One request the door serves, from its head to its answer. */
    private final class Exchange {

        private final ChannelHandlerContext ctx;
        private final HttpRequest head;
        private final FrontDoorRoute route;
        private final long startedNanos = System.nanoTime();
        private final boolean hasBody;
        private final boolean keepAlive;
        /** The request's path as received, without its query: what the signature covers. */
        private final String rawPath;
        private @Nullable SignedQuery query;
        private @Nullable AppConfig app;
        /** The body's parts that arrived while the request line was being authenticated. */
        private @Nullable ArrayDeque<HttpContent> early;
        /** The request's last part was read: anything after it is the next request. */
        private boolean lastSeen;
        private boolean bodyComplete;
        private boolean answerWritten;
        /** The body so far: sized by Content-Length when the request has one, grown otherwise. */
        private byte @Nullable [] body;
        private int received;
        private int limit;
        private long lastReadNanos = startedNanos;
        private boolean done;
        private @Nullable ScheduledFuture<?> requestDeadline;
        private @Nullable ScheduledFuture<?> readDeadline;

        Exchange(ChannelHandlerContext ctx, HttpRequest head, FrontDoorRoute route) {
            this.ctx = ctx;
            this.head = head;
            this.route = route;
            this.hasBody = HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0;
            this.keepAlive = HttpUtil.isKeepAlive(head);
            int queryAt = head.uri().indexOf('?');
            this.rawPath = queryAt < 0 ? head.uri() : head.uri().substring(0, queryAt);
        }

        void start() {
            Optional<Overload> overload = door.admission.admitPublish();
            if (overload.isPresent()) {
                respond(PusherApiErrors.overloadedAnswer(overload.get(), door.admission.retryAfter()));
                return;
            }
            requestDeadline = ctx.executor().schedule(this::requestTimedOut, door.deadlines.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
            String uri = head.uri();
            int queryAt = uri.indexOf('?');
            Mono<AppConfig> authenticated;
            try {
                query = SignedQuery.parse(queryAt < 0 ? null : uri.substring(queryAt + 1));
                authenticated = door.authentication.authenticateHead("POST", rawPath, query, FrontDoorRequests.appSegment(uri), hasBody);
            }
            catch (RuntimeException error) {
                fail(error);
                return;
            }
            if (Immediate.available(authenticated)) { // the app was in memory: no subscription, no pause
                try {
                    authenticated(Objects.requireNonNull(Immediate.get(authenticated)));
                }
                catch (RuntimeException error) {
                    fail(error);
                }
                return;
            }
            pauseReading(); // no body is read before the request line checks out
            authenticated.subscribe(app -> onLoop(() -> authenticated(app)), error -> onLoop(() -> fail(error)));
        }

        /** The request line checked out: the body is read now, under the app's limit. */
        private void authenticated(AppConfig app) {
            if (done) {
                return;
            }
            this.app = app;
            this.limit = door.authentication.bodyLimit(app);
            if (HttpUtil.getContentLength(head, 0L) > limit) {
                fail(PusherApiAuthentication.tooLarge(limit));
                return;
            }
            long announced = HttpUtil.isTransferEncodingChunked(head) ? -1 : HttpUtil.getContentLength(head, 0L);
            body = new byte[(int) (announced >= 0 ? announced : Math.min(1024, limit))];
            while (early != null && !early.isEmpty() && !done) {
                append(early.poll());
            }
            if (done || bodyComplete) {
                return;
            }
            readDeadline = ctx.executor().schedule(this::readTimedOut, door.deadlines.readTimeout().toNanos(), TimeUnit.NANOSECONDS);
            ctx.channel().config().setAutoRead(true);
        }

        void content(HttpContent content) {
            if (done) {
                content.release();
                if (content instanceof LastHttpContent) {
                    lastSeen = true;
                    if (answerWritten) {
                        answered(ctx);
                    }
                }
                return;
            }
            if (app == null) {
                if (early == null) {
                    early = new ArrayDeque<>(2);
                }
                early.add(content);
                return;
            }
            append(content);
        }

        private void append(HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            try {
                lastReadNanos = System.nanoTime();
                ByteBuf bytes = content.content();
                int n = bytes.readableBytes();
                if ((long) received + n > limit) {
                    fail(PusherApiAuthentication.tooLarge(limit));
                    return;
                }
                byte[] into = Objects.requireNonNull(body);
                if (received + n > into.length) {
                    into = Arrays.copyOf(into, (int) Math.min(limit, Math.max(received + n, 2L * into.length)));
                    body = into;
                }
                bytes.getBytes(bytes.readerIndex(), into, received, n);
                received += n;
            }
            finally {
                content.release();
            }
            if (last && !done) {
                lastSeen = true;
                bodyComplete();
            }
        }

        private void bodyComplete() {
            bodyComplete = true;
            cancelTimers();
            byte[] whole = Objects.requireNonNull(body);
            byte[] bytes = received == whole.length ? whole : Arrays.copyOf(whole, received);
            body = null;
            AppConfig authenticated = Objects.requireNonNull(app);
            SignedQuery signed = Objects.requireNonNull(query);
            Mono<PusherApiAnswer> answer;
            try {
                door.authentication.checkBody(signed, bytes);
                PusherApiAuthentication.requireJson(head.headers().get(HttpHeaderNames.CONTENT_TYPE));
                answer = route.serve().apply(new AuthenticatedRequest(authenticated, new PusherRequest("POST", rawPath, signed, bytes)));
            }
            catch (RuntimeException error) {
                fail(error);
                return;
            }
            if (Immediate.available(answer)) { // served from memory (a cached quota, a delivery on this node)
                try {
                    respond(Objects.requireNonNull(Immediate.get(answer)));
                }
                catch (RuntimeException error) {
                    fail(error);
                }
                return;
            }
            pauseReading(); // the next request waits for this one's answer
            answer.subscribe(served -> onLoop(() -> respond(served)), error -> onLoop(() -> fail(error)));
        }

        private void fail(Throwable error) {
            if (done) {
                return;
            }
            if (app != null && error instanceof PusherApiException refusal) {
                door.authentication.refused(app.id(), refusal);
            }
            respond(PusherApiErrors.answer(error, hasBody && !bodyComplete));
        }

        private void requestTimedOut() {
            if (!done && !bodyComplete) {
                timedOut("The request did not arrive within " + door.deadlines.requestTimeout().toSeconds() + " s");
            }
        }

        private void readTimedOut() {
            readDeadline = null;
            if (done || bodyComplete) {
                return;
            }
            long idle = System.nanoTime() - lastReadNanos;
            long timeout = door.deadlines.readTimeout().toNanos();
            if (idle >= timeout) {
                timedOut("The request's body stopped arriving for " + door.deadlines.readTimeout().toSeconds() + " s");
            }
            else {
                readDeadline = ctx.executor().schedule(this::readTimedOut, timeout - idle, TimeUnit.NANOSECONDS);
            }
        }

        private void timedOut(String why) {
            respond(new PusherApiAnswer(HttpStatus.REQUEST_TIMEOUT, Map.of("error", why), true, null));
        }

        private void respond(PusherApiAnswer answer) {
            if (done) {
                return;
            }
            done = true;
            cancelTimers();
            releaseBody();
            boolean close = answer.closeConnection() || !keepAlive;
            FullHttpResponse response = door.responses.render(answer, close, ctx.alloc());
            door.timers.record(route.uriTemplate(), answer.status().value(), System.nanoTime() - startedNanos);
            door.countAnswer();
            if (!ctx.channel().isActive()) {
                response.release();
                return;
            }
            if (close) {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.writeAndFlush(response).addListener(written -> {
                if (!written.isSuccess()) {
                    ctx.close();
                    return;
                }
                answerWritten = true;
                if (lastSeen) {
                    answered(ctx);
                }
                else {
                    // refused before its (empty) last part was read: read it, then the next request
                    ctx.channel().config().setAutoRead(true);
                }
            });
            if (!answerWritten && ctx.channel().isActive()) {
                pauseReading(); // the client does not take its answers: read nothing more from it until it does
            }
        }

        /**
         * Reading pauses only where a step goes asynchronous (or the answer cannot leave yet). A request served
         * within one read never touches the socket's read interest: each switch is a system call (epoll_ctl).
         */
        private void pauseReading() {
            ctx.channel().config().setAutoRead(false);
        }

        /** The connection closed before the answer. */
        void abandon() {
            done = true;
            cancelTimers();
            releaseBody();
        }

        private void releaseBody() {
            body = null;
            if (early != null) {
                early.forEach(HttpContent::release);
                early = null;
            }
        }

        private void cancelTimers() {
            if (requestDeadline != null) {
                requestDeadline.cancel(false);
                requestDeadline = null;
            }
            if (readDeadline != null) {
                readDeadline.cancel(false);
                readDeadline = null;
            }
        }

        private void onLoop(Runnable step) {
            if (ctx.executor().inEventLoop()) {
                step.run();
            }
            else {
                ctx.executor().execute(step);
            }
        }
    }
}
