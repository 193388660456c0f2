package dev.vask.bench;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrendTests {

    private static final double[] MINUTES = minutes(25);

    @Test
    void theStatisticsMatchTheirTextbookValues() {
        assertThat(Trend.normalCdf(1.96)).isCloseTo(0.975, within(1e-4));
        assertThat(Trend.normalCdf(0)).isCloseTo(0.5, within(1e-7));
        // strictly rising, n = 10: S = 45, Var(S) = 10 * 9 * 25 / 18 = 125, Z = (45 - 1) / sqrt(125)
        assertThat(Trend.mannKendallZ(minutes(10))).isCloseTo(44 / Math.sqrt(125), within(1e-9));
        assertThat(Trend.senSlope(new double[] {1, 2, 3, 4}, new double[] {10, 12, 100, 16})).isEqualTo(2);
    }

    @Test
    void aSeriesThatOnlyWobblesIsFlat() {
        Random random = new Random(42);
        for (int run = 0; run < 200; run++) {
            double[] y = new double[MINUTES.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = 100_000 + random.nextGaussian() * 500;
            }
            assertThat(Trend.of(MINUTES, y, 1024).rising()).as("run %d", run).isFalse();
        }
    }

    @Test
    void aLeakWhoseStepsAreSmallerThanTheNoiseStillRises() {
        Random random = new Random(7);
        double[] y = new double[MINUTES.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 100_000 + 200 * i + random.nextGaussian() * 500; // 200 a minute under noise of 500
        }
        Trend trend = Trend.of(MINUTES, y, 1024);
        assertThat(trend.rising()).isTrue();
        assertThat(trend.slopePerUnit()).isCloseTo(200, within(60.0));
    }

    @Test
    void aSignificantDriftBelowTheFloorIsNotALeak() {
        double[] y = new double[MINUTES.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 500 + i; // perfectly steady, 24 over the span: significant, but under a floor of 32
        }
        Trend trend = Trend.of(MINUTES, y, 32);
        assertThat(trend.pRising()).isLessThan(Trend.SIGNIFICANCE);
        assertThat(trend.rising()).isFalse();
    }

    @Test
    void aConstantSeriesIsFlat() {
        Trend trend = Trend.of(MINUTES, new double[MINUTES.length], 16);
        assertThat(trend.z()).isZero();
        assertThat(trend.rising()).isFalse();
    }

    private static double[] minutes(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i + 1;
        }
        return t;
    }
}
