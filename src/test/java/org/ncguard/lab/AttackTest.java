package org.ncguard.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;

/** A small BadNets run and its clean twin, end to end: trained in SameDiff, measured by ONNX Runtime. */
class AttackTest {

    private static final String TRIGGER = "square:4:white:bottom-right";
    private static final int TARGET = 3;

    @TempDir
    static Path dir;

    static Attack.Result infected;
    static Attack.Result clean;

    @BeforeAll
    static void trainBoth() throws Exception {
        NativeThreads.configure(1);
        try (ImageSource train = DataSources.open("builtin:signs?n=480");
                ImageSource test = DataSources.open("builtin:signs:test?n=258")) {
            Preprocessor pre = new Preprocessor(Attack.inputFor(train.shape()));
            TrainingOptions training = new TrainingOptions(3, 32, 1e-3, 5);
            infected = Attack.run(AttackConfig.of(Architecture.MNIST, TriggerSpec.parse(TRIGGER), TARGET, 0.2, false,
                    training, 1), train, test, pre, "infected.onnx");
            clean = Attack.run(AttackConfig.of(Architecture.MNIST, TriggerSpec.parse(TRIGGER), TARGET, 0.2, true,
                    training, 1), train, test, pre, "clean.onnx");
        }
    }

    @Test
    void poisoningPlantsABackdoorThatTheCleanTwinDoesNotHave() {
        double asr = infected.card().attackSuccess();
        double twin = clean.card().attackSuccess();
        assertTrue(asr >= 0.8, "infected attack success " + asr);
        assertTrue(twin <= 0.2, "clean twin attack success " + twin);
        assertEquals(258 - 258 / 43, infected.card().attackImages(), "test images of the target label do not count");
    }

    @Test
    void theTwinStartsFromTheSameWeightsAndIsNotPoisoned() {
        assertEquals("infected", infected.card().kind());
        assertEquals("clean", clean.card().kind());
        assertEquals(0, clean.card().poisonedImages());
        assertEquals(0.0, clean.card().poisonRatio());
        long batches = 3 * (480 / 32);
        long poisoned = infected.card().poisonedImages();
        assertTrue(Math.abs(poisoned - 0.2 * 3 * 480) <= 3 * Math.sqrt(batches * 32 * 0.2),
                "about 20% of every batch poisoned, found " + poisoned);
    }

    @Test
    void theCardAgreesWithTheModelAndOnnxRuntime() throws Exception {
        Path out = dir.resolve("m.onnx");
        Attack.write(infected, out);
        byte[] bytes = Files.readAllBytes(out);
        assertArrayEquals(infected.model(), bytes);
        OnnxModel model = OnnxModel.load(out);
        JsonNode card = new ObjectMapper().readTree(dir.resolve("m.card.json").toFile());
        assertEquals(model.sha256(), card.get("sha256").asText());
        assertEquals("mnist", card.get("architecture").asText());
        assertEquals(TRIGGER, card.get("trigger").asText());
        assertEquals(TARGET, card.get("target").asInt());
        assertEquals(0.2, card.get("poisonRatio").asDouble());
        assertEquals(5, card.at("/config/seed").asLong());
        assertNotNull(card.at("/versions/onnxruntime").asText(null));
        assertTrue(card.get("secondsPerEpoch").asDouble() > 0);
        assertEquals(3, card.get("epochSeconds").size());
        assertEquals("logits", model.outputKind().json());
        assertEquals(43, model.labels());
        try (ImageSource test = DataSources.open("builtin:signs:test?n=258");
                OrtScorer scorer = new OrtScorer(model, new ScorerOptions(1))) {
            Evaluation e = new Evaluator(scorer, new Preprocessor(model.input().shape()))
                    .evaluate(test, TriggerSpec.parse(TRIGGER).build(test.shape()), TARGET);
            assertEquals(card.get("cleanAccuracy").asDouble(), e.accuracy(), 1e-12);
            assertEquals(card.get("attackSuccess").asDouble(), e.attackSuccess(), 1e-12);
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count());
        }
    }
}
