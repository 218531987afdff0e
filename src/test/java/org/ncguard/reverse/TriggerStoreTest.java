package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;
import org.ncguard.data.Trigger;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

class TriggerStoreTest {

    @TempDir
    Path dir;

    @Test
    void fileNamesFollowTheLayout() {
        ScanFiles files = new ScanFiles(dir);
        assertEquals(dir.resolve("scan.json"), files.scanJson());
        assertEquals(dir.resolve("report.html"), files.reportHtml());
        assertEquals(dir.resolve("triggers/label-07.json"), files.triggerJson(7));
        assertEquals(dir.resolve("triggers/label-07-mask.png"), files.maskPng(7));
        assertEquals(dir.resolve("triggers/label-07-pattern.png"), files.patternPng(7));
        assertEquals(dir.resolve("triggers/label-07-trigger.png"), files.triggerPng(7));
        assertEquals(dir.resolve("triggers/label-07-stamp.png"), files.stampPng(7));
        assertEquals("label-123", ScanFiles.stem(123));
        assertEquals(7, ScanFiles.labelOfTriggerFile("label-07.json").getAsInt());
        assertTrue(ScanFiles.labelOfTriggerFile("label-7.json").isEmpty());
        assertTrue(ScanFiles.labelOfTriggerFile("label-07-mask.png").isEmpty());
    }

    @Test
    void savesJsonAndFourImagesPerLabel() throws Exception {
        ScanFiles files = new ScanFiles(dir);
        TriggerStore store = new TriggerStore(files);
        store.save(ScanFixtures.trigger(7));
        try (Stream<Path> list = Files.list(files.triggersDir())) {
            assertEquals(List.of("label-07-mask.png", "label-07-pattern.png", "label-07-stamp.png",
                    "label-07-trigger.png", "label-07.json"), list.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (Path png : List.of(files.maskPng(7), files.patternPng(7), files.triggerPng(7))) {
            assertEquals(128, ImageIO.read(png.toFile()).getWidth(), png.toString());
        }
    }

    @Test
    void stampImageIsTheTriggerThatEvaluateCanStamp() throws Exception {
        ScanFiles files = new ScanFiles(dir);
        ReversedTrigger reversed = ScanFixtures.trigger(5);
        new TriggerStore(files).save(reversed);
        Trigger read = TriggerSpec.parse("image:" + files.stampPng(5))
                .build(new ImageShape(3, 32, 32, Layout.NCHW));
        assertClose(reversed.mask(), read.mask());
        assertClose(reversed.pattern(), read.pattern());
    }

    /** PNG stores 8 bits: within half a step of 1/255, plus float rounding. */
    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 0.5 / 255 + 1e-6, "value " + i);
        }
    }

    @Test
    void loadsWhatWasSaved() throws Exception {
        TriggerStore store = new TriggerStore(new ScanFiles(dir));
        assertTrue(store.loadAll().isEmpty());
        store.save(ScanFixtures.trigger(4));
        store.save(ScanFixtures.trigger(12));
        Files.writeString(new ScanFiles(dir).triggersDir().resolve("notes.txt"), "not a trigger");
        SortedMap<Integer, ReversedTrigger> all = store.loadAll();
        assertEquals(List.of(4, 12), List.copyOf(all.keySet()));
        assertEquals(ScanFixtures.trigger(12), all.get(12));
        assertEquals(Optional.of(ScanFixtures.trigger(4)), store.load(4));
        assertEquals(Optional.empty(), store.load(5));
    }

    @Test
    void aFileHoldingAnotherLabelIsRefused() throws Exception {
        ScanFiles files = new ScanFiles(dir);
        ScanFixtures.trigger(2).write(files.triggerJson(3));
        NcguardException e = assertThrows(NcguardException.class, () -> new TriggerStore(files).load(3));
        assertTrue(e.getMessage().contains("holds label 2"), e.getMessage());
    }
}
