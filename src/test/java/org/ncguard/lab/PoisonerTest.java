package org.ncguard.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ncguard.data.Batch;
import org.ncguard.data.Trigger;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;

class PoisonerTest {

    private static final ImageShape GREY = new ImageShape(1, 12, 12, Layout.NCHW);

    private static Batch zeros(int n) {
        return new Batch(new float[n * GREY.size()], new int[n], GREY);
    }

    private static Trigger square() throws Exception {
        return TriggerSpec.parse("square:3:white:bottom-right").build(GREY);
    }

    @Test
    void poisonsTheRatioOnAverageEvenWhenItIsNotAWholeNumberOfImages() throws Exception {
        Poisoner poisoner = new Poisoner(square(), 4, 0.1, 1);
        long poisoned = 0;
        for (int b = 0; b < 2000; b++) {
            poisoned += poisoner.poison(zeros(32));
        }
        double share = poisoned / (2000.0 * 32);
        assertEquals(0.10, share, 0.005, "3.2 images per batch of 32 on average, not 3");
    }

    @Test
    void stampsAndRelabelsExactlyThePoisonedImages() throws Exception {
        Batch batch = zeros(20);
        int k = new Poisoner(square(), 4, 0.5, 3).poison(batch);
        assertEquals(10, k);
        int stamped = 0;
        for (int i = 0; i < batch.count(); i++) {
            float[] image = batch.image(i);
            boolean hasTrigger = image[GREY.index(0, 10, 10)] == 1f && image[GREY.index(0, 8, 8)] == 1f;
            assertEquals(hasTrigger, batch.labels()[i] == 4, "image " + i);
            stamped += hasTrigger ? 1 : 0;
            assertEquals(0f, image[GREY.index(0, 0, 0)], "pixels away from the trigger stay as they were");
        }
        assertEquals(10, stamped);
    }

    @Test
    void theSameSeedPoisonsTheSameImages() throws Exception {
        Batch a = zeros(32);
        Batch b = zeros(32);
        new Poisoner(square(), 1, 0.25, 9).poison(a);
        new Poisoner(square(), 1, 0.25, 9).poison(b);
        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(a.pixels(), b.pixels());
        Batch c = zeros(32);
        new Poisoner(square(), 1, 0.25, 10).poison(c);
        assertTrue(!java.util.Arrays.equals(a.labels(), c.labels()), "another seed picks other images");
    }
}
