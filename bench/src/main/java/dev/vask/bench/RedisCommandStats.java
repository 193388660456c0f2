package dev.vask.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Redis's own count of the commands it ran ({@code INFO commandstats}), read twice around a window: the difference
 * over the events published in it is the Redis cost of an event, measured by Redis, not by Vask.
 *
 * @param publishes {@code PUBLISH} and {@code SPUBLISH} calls
 * @param total every command's calls, the {@code INFO} that reads them included
 */
record RedisCommandStats(long publishes, long total) {

    static RedisCommandStats read(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String header = in.readLine();
            if (header == null || !header.startsWith("$")) {
                throw new BenchmarkException("Redis on port " + port + " answered INFO with " + header);
            }
            int length = Integer.parseInt(header.substring(1));
            long publishes = 0;
            long total = 0;
            int read = 0;
            while (read < length) {
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                read += line.length() + 2;
                if (line.startsWith("cmdstat_")) {
                    long calls = Long.parseLong(line.replaceAll("^cmdstat_[^:]+:calls=(\\d+),.*", "$1"));
                    total += calls;
                    if (line.startsWith("cmdstat_publish:") || line.startsWith("cmdstat_spublish:")) {
                        publishes += calls;
                    }
                }
            }
            return new RedisCommandStats(publishes, total);
        }
        catch (IOException e) {
            throw new BenchmarkException("cannot read INFO commandstats from Redis on port " + port + ": " + e.getMessage());
        }
    }
}
