package org.ncguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The scan's Indexed Job runs one shard per completion index into its own folder with args ncguard's {@code scan}
 * parses, and the merge job joins exactly those folders where the shards read their model and data.
 */
class ScanJobsTest {

    private static K8sManifests manifests;

    @BeforeAll
    static void load() throws IOException {
        manifests = K8sManifests.load();
    }

    @Test
    void scanJobRunsOneShardPerIndexIntoItsOwnFolder() {
        Job scan = manifests.named(Job.class, "ncguard-scan");
        assertEquals("Indexed", scan.getSpec().getCompletionMode());
        int shards = scan.getSpec().getCompletions();
        assertEquals(shards, scan.getSpec().getParallelism(), "all shards at once");
        PodSpec spec = scan.getSpec().getTemplate().getSpec();
        Container c = spec.getContainers().get(0);
        // Kubernetes puts each pod's completion index where the args say $(JOB_COMPLETION_INDEX): every index from 0
        // to N-1 must be a shard ncguard's scan accepts, and the shard count the Job's.
        List<String> args = new ArrayList<>(c.getArgs());
        assertTrue(args.contains("--shard=$(JOB_COMPLETION_INDEX)/" + shards), "--shard=$(JOB_COMPLETION_INDEX)/"
                + shards + " in " + c.getArgs());
        for (int index = 0; index < shards; index++) {
            String at = Integer.toString(index);
            ParseResult pod = new CommandLine(new Main()).parseArgs(args.stream()
                    .map(a -> a.replace("$(JOB_COMPLETION_INDEX)", at)).toArray(String[]::new)).subcommand();
            assertEquals(index + "/" + shards, pod.matchedOptionValue("--shard", ""));
        }
        ParseResult parsed = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new)).subcommand();
        assertEquals("scan", parsed.commandSpec().name());
        String out = parsed.matchedOptionValue("--out", (Path) null).toString();
        assertEquals("shard-$(JOB_COMPLETION_INDEX)", Path.of(out).getFileName().toString());
        K8sManifests.Mounted outMount = K8sManifests.mountOf(spec, c, out);
        assertFalse(Boolean.TRUE.equals(outMount.mount().getReadOnly()), out + " is writable");
        List<String> inputs = List.of(parsed.matchedOptionValue("--model", (Path) null).toString(),
                parsed.matchedOptionValue("--data", ""));
        for (String in : inputs) {
            assertEquals(outMount.volume().getPersistentVolumeClaim().getClaimName(),
                    K8sManifests.mountOf(spec, c, in).volume().getPersistentVolumeClaim().getClaimName(),
                    in + " is on the shared volume");
        }
        manifests.assertVolumesExist(spec, "scan");

        // The merge lists every shard's folder, as the scan job names them, and reopens the shards' model and data.
        Job merge = manifests.named(Job.class, "ncguard-scan-merge");
        PodSpec mergeSpec = merge.getSpec().getTemplate().getSpec();
        Container m = mergeSpec.getContainers().get(0);
        for (String in : inputs) {
            assertEquals(K8sManifests.mountOf(spec, c, in).mount().getSubPath(),
                    K8sManifests.mountOf(mergeSpec, m, in).mount().getSubPath(), in + " is where the shards read it");
        }
        List<String> expected = new ArrayList<>(List.of("scan", "merge"));
        for (int k = 0; k < shards; k++) {
            expected.add(out.replace("$(JOB_COMPLETION_INDEX)", String.valueOf(k)));
        }
        assertEquals(expected, m.getArgs().subList(0, expected.size()));
        assertEquals(outMount.mount().getSubPath(), K8sManifests.mountOf(mergeSpec, m, expected.get(2)).mount()
                .getSubPath(), "the merge reads the folders the shards wrote");
        manifests.assertVolumesExist(mergeSpec, "scan merge");
    }
}
