package dev.vask.bench;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SoakReportTests {

    @Test
    void readsWhichPartsOfTheJvmChangedFromANativeMemoryDiff() {
        // the shape of Temurin 25's jcmd VM.native_memory summary.diff
        String diff = """
                Native Memory Tracking:

                (Omitting categories weighting less than 1KB)

                Total: reserved=7735207KB +3123KB, committed=477191KB +2048KB

                malloc=11315KB +1024KB #47208 +214

                -                 Java Heap (reserved=6172672KB, committed=393216KB)
                                            (mmap: reserved=6172672KB, committed=393216KB)

                -                     Class (reserved=1048776KB, committed=1416KB +12KB)
                                            (classes #2860 +3)

                -                      Code (reserved=248652KB +40KB, committed=8508KB +1536KB)
                                            (malloc=959KB +40KB #6838 +120)

                -                        GC (reserved=60000KB, committed=60000KB -500KB)
                """;

        Map<String, Long> changes = SoakReport.committedChanges(diff);

        assertThat(changes).containsExactly(Map.entry("Total", 2048L), Map.entry("Class", 12L), Map.entry("Code", 1536L),
                Map.entry("GC", -500L));
    }
}
