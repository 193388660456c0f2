package dev.vask.bench;

import java.util.Arrays;

/**
 * Whether a series of samples taken at a steady rate climbs: the Mann-Kendall test for a monotonic trend
 * (no assumption about the noise's distribution, robust to outliers) and Sen's slope for its size
 * (the median of the slopes between every pair of samples). A series counts as <em>rising</em> only
 * when both hold:
 * <ul>
 * <li>the upward trend is significant: Mann-Kendall's one-sided p-value is below {@link #SIGNIFICANCE};</li>
 * <li>it is larger than the noise: Sen's slope times the span of the samples is more than three times
 *     the noise (the residuals' median absolute deviation around Sen's line, scaled to a standard
 *     deviation), and more than {@code floor}, the smallest change the measurement can resolve.</li>
 * </ul>
 * So a series that merely wobbles passes, and so does a drift too small to tell from the noise; a leak
 * that adds a little every minute fails even when each step is smaller than the noise, because over
 * the span it outgrows it.
 *
 * @param samples how many samples were tested
 * @param slopePerUnit Sen's slope, per unit of the sample times (per minute in the soak)
 * @param growth the slope times the span: how much the series rose over the samples, trend only
 * @param noise the residuals' spread, as a standard deviation (1.4826 times their median absolute deviation)
 * @param z Mann-Kendall's normalised statistic (positive: rising)
 * @param pRising the one-sided p-value of "the series rises"
 * @param threshold what {@code growth} must exceed to count: the larger of three times the noise and the floor
 */
record Trend(int samples, double slopePerUnit, double growth, double noise, double z, double pRising, double threshold) {

    /** One-sided: a rise this unlikely under "no trend" counts as real. */
    static final double SIGNIFICANCE = 0.01;
    /** How many noise standard deviations the trend must add up to over the span. */
    static final double NOISE_MULTIPLE = 3;

    /** Tests samples {@code y} taken at times {@code t} (increasing); {@code floor} is the measurement's resolution. */
    static Trend of(double[] t, double[] y, double floor) {
        int n = y.length;
        if (n != t.length || n < 3) {
            throw new IllegalArgumentException("need at least 3 samples with their times, got " + n + " and " + t.length);
        }
        double slope = senSlope(t, y);
        double[] residuals = new double[n];
        double[] offsets = new double[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = y[i] - slope * t[i];
        }
        double intercept = median(offsets);
        for (int i = 0; i < n; i++) {
            residuals[i] = y[i] - (intercept + slope * t[i]);
        }
        double center = median(residuals);
        double[] deviations = Arrays.stream(residuals).map(r -> Math.abs(r - center)).toArray();
        double noise = 1.4826 * median(deviations);
        double z = mannKendallZ(y);
        double pRising = 1 - normalCdf(z);
        double growth = slope * (t[n - 1] - t[0]);
        return new Trend(n, slope, growth, noise, z, pRising, Math.max(NOISE_MULTIPLE * noise, floor));
    }

    /** Rising beyond the noise: significant and larger than the threshold. */
    boolean rising() {
        return pRising < SIGNIFICANCE && growth > threshold;
    }

    static double senSlope(double[] t, double[] y) {
        int n = y.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                slopes[k++] = (y[j] - y[i]) / (t[j] - t[i]);
            }
        }
        return median(slopes);
    }

    /** Mann-Kendall's S, normalised with the variance corrected for ties, with the continuity correction. */
    static double mannKendallZ(double[] y) {
        int n = y.length;
        long s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                s += Double.compare(y[j], y[i]) > 0 ? 1 : Double.compare(y[j], y[i]) < 0 ? -1 : 0;
            }
        }
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double ties = 0;
        for (int i = 0; i < n;) {
            int j = i;
            while (j < n && sorted[j] == sorted[i]) {
                j++;
            }
            long size = j - i;
            ties += size * (size - 1) * (2 * size + 5);
            i = j;
        }
        double variance = (n * (n - 1.0) * (2 * n + 5) - ties) / 18;
        if (s == 0 || variance <= 0) {
            return 0;
        }
        return (s > 0 ? s - 1 : s + 1) / Math.sqrt(variance);
    }

    /** The standard normal distribution function, from erfc (Numerical Recipes' erfcc, error below 1.2e-7). */
    static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
