/**
 * The benchmark of issue 4: {@link dev.vask.bench.LoadGenerator} drives a server that speaks Pusher
 * protocol 7 (Vask, or one of the yardsticks {@link dev.vask.bench.NettyStrongBroadcastServer},
 * {@link dev.vask.bench.NaiveNettyBroadcastServer} and
 * {@link dev.vask.bench.WebFluxBroadcastServer}) and measures it from outside; {@link dev.vask.bench.Report}
 * prints the servers side by side. {@code bench/run.sh} runs the whole thing; docs/performance.md explains it.
 * The soak mode ({@code bench/soak.sh}) is {@link dev.vask.bench.Soak}: half an hour of mixed use, judged
 * flat by {@link dev.vask.bench.Trend} and lossless by {@link dev.vask.bench.SoakClient}.
 */
@NullMarked
package dev.vask.bench;

import org.jspecify.annotations.NullMarked;
