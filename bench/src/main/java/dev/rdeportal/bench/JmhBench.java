package dev.rdeportal.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks of this module with JMH's own options (defaults on each benchmark class,
 * e.g. {@code -f 1 -wi 3 -i 3} to change them; a regex to pick benchmarks), always with the
 * {@code gc} profiler for the bytes allocated per operation, then sets each {@code xxxOurs} beside
 * its {@code xxxBaseline} with the ratio ours/baseline. Run with {@code bench/run.sh jmh [options]}.
 */
public final class JmhBench {

    private static final String BASELINE = "Baseline";
    private static final String OURS = "Ours";

    public static void main(String[] args) throws Exception {
        // exec:exec passes the options as one argument: split them again.
        String[] options = Arrays.stream(args)
                .flatMap(arg -> Arrays.stream(arg.trim().split("\\s+")))
                .filter(arg -> !arg.isEmpty())
                .toArray(String[]::new);
        CommandLineOptions cli = new CommandLineOptions(options);
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
                || cli.shouldListResultFormats()) {
            Main.main(options);
            return;
        }
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            builder.include(JmhBench.class.getPackageName() + "\\.");
        }
        if (cli.getProfilers().stream().noneMatch(p -> p.getKlass().equals("gc") || p.getKlass().equals(GCProfiler.class.getName()))) {
            builder.addProfiler(GCProfiler.class);
        }
        Options run = builder.build();
        printPairs(new Runner(run).run());
    }

    private static void printPairs(Collection<RunResult> results) {
        Map<String, RunResult> byName = new LinkedHashMap<>();
        for (RunResult result : results) {
            byName.put(result.getParams().getBenchmark(), result);
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, RunResult> entry : byName.entrySet()) {
            String name = entry.getKey();
            if (!name.endsWith(BASELINE)) {
                continue;
            }
            String stem = name.substring(0, name.length() - BASELINE.length());
            RunResult ours = byName.get(stem + OURS);
            if (ours == null) {
                continue;
            }
            Result<?> b = entry.getValue().getPrimaryResult();
            Result<?> o = ours.getPrimaryResult();
            lines.add(String.format("%-40s %10.1f ± %6.1f  %10.1f ± %6.1f  %8.3f  %8.1f  %8.1f",
                    stem.substring(stem.lastIndexOf('.', stem.lastIndexOf('.') - 1) + 1),
                    b.getScore(), b.getScoreError(), o.getScore(), o.getScoreError(), o.getScore() / b.getScore(),
                    allocated(entry.getValue()), allocated(ours)));
        }
        if (lines.isEmpty()) {
            return;
        }
        String unit = results.iterator().next().getPrimaryResult().getScoreUnit();
        System.out.println();
        System.out.printf("%-40s %19s  %19s  %8s  %8s  %8s%n", "ours beside baseline (" + unit + ")",
                "baseline", "ours", "ratio", "B/op b.", "B/op o.");
        lines.forEach(System.out::println);
    }

    /** Bytes allocated per operation (gc profiler), NaN without it. */
    private static double allocated(RunResult result) {
        return result.getSecondaryResults().entrySet().stream()
                .filter(e -> e.getKey().endsWith("gc.alloc.rate.norm"))
                .mapToDouble(e -> e.getValue().getScore())
                .findFirst()
                .orElse(Double.NaN);
    }

    private JmhBench() {
    }
}
