package org.ncguard.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.OnnxModel;
import org.ncguard.onnx.Onnx.TensorProto;

class TrainerTest {

    @Test
    void aFinalBatchOfOneJoinsTheBatchBeforeIt() {
        Trainer trainer = new Trainer(new TrainingOptions(1, 32, 1e-3, 1));
        List<int[]> plan = trainer.batches(65);
        assertEquals(2, plan.size());
        assertArrayEquals(new int[] {32, 65}, plan.get(1));
        assertEquals(3, trainer.batches(66).size());
        assertEquals(List.of(List.of(0, 3)), new Trainer(new TrainingOptions(1, 2, 1e-3, 1)).batches(3).stream()
                .map(r -> List.of(r[0], r[1])).toList(), "3 images in batches of 2: one batch of 3, not 2 + 1");
        assertArrayEquals(new int[] {0, 3}, new Trainer(new TrainingOptions(1, 4, 1e-3, 1)).batches(3).get(0));
    }

    @Test
    void permutationIsAnOrderOfAllImages() {
        int[] p = Trainer.permutation(100, new SplittableRandom(5));
        int[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 0; i < 100; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(p, Trainer.permutation(100, new SplittableRandom(5)));
    }

    @Test
    void theSameSeedTrainsTheSameWeightsAndAnotherSeedOthers() throws Exception {
        NativeThreads.configure(1);
        try (ImageSource data = DataSources.open("builtin:signs?n=97")) {
            byte[] first = train(data, 11);
            byte[] again = train(data, 11);
            byte[] other = train(data, 12);
            assertArrayEquals(first, again, "same seed, same data: identical ONNX bytes");
            assertFalse(java.util.Arrays.equals(first, other));
        }
    }

    @Test
    void frozenConvolutionsKeepTheirFiltersAndBiasesWhileTheDenseLayersLearn() throws Exception {
        NativeThreads.configure(1);
        try (ImageSource data = DataSources.open("builtin:signs?n=64")) {
            OnnxModel untrained = OnnxModel.fromBytes("t", Architecture.MNIST.build(data.shape(), 43, 3).toByteArray());
            OnnxModel trained = OnnxModel.fromBytes("f", new Trainer(new TrainingOptions(1, 16, 1e-2, 3, true))
                    .train(untrained, data, new Preprocessor(Attack.inputFor(data.shape())), null)
                    .proto().toByteArray());
            Set<String> convolutions = Trainer.convolutionWeights(untrained);
            assertFalse(convolutions.isEmpty());
            int changed = 0;
            for (TensorProto before : untrained.proto().getGraph().getInitializerList()) {
                TensorProto after = trained.graph().initializer(before.getName()).orElseThrow();
                if (convolutions.contains(before.getName())) {
                    assertEquals(before, after, before.getName() + " is a convolution's and must not change");
                } else if (!before.equals(after)) {
                    changed++;
                }
            }
            assertTrue(changed >= 2, "the dense layers' weights are trained, " + changed + " initializers changed");
        }
    }

    private static byte[] train(ImageSource data, long seed) throws Exception {
        OnnxModel untrained = OnnxModel.fromBytes("t", Architecture.MNIST.build(data.shape(), 43, seed).toByteArray());
        Poisoner poisoner = new Poisoner(TriggerSpec.parse("square:4").build(data.shape()), 2, 0.1, seed);
        return new Trainer(new TrainingOptions(1, 16, 1e-3, seed))
                .train(untrained, data, new Preprocessor(Attack.inputFor(data.shape())), poisoner)
                .proto().toByteArray();
    }
}
