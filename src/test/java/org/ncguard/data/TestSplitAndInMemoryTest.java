package org.ncguard.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestSplitAndInMemoryTest {

    @Test
    void builtinSetsHaveATestSplitThatKeepsTheDataSetSeed() throws Exception {
        assertEquals(Optional.of("builtin:fashion-mnist:test"), DataSources.testSplitOf("builtin:fashion-mnist"));
        assertEquals(Optional.of("builtin:fashion-mnist:test"),
                DataSources.testSplitOf("builtin:fashion-mnist:train?n=100"));
        assertEquals(Optional.of("builtin:signs:test?seed=3"), DataSources.testSplitOf("builtin:signs?n=500&seed=3"));
        assertEquals(Optional.of("builtin:signs:test"), DataSources.testSplitOf("builtin:signs:train"));
        assertTrue(DataSources.testSplitOf("data/train-images-idx3-ubyte").isEmpty());
    }

    @Test
    void anInMemoryCopyReadsTheSameImagesAndLabels() throws Exception {
        try (ImageSource signs = DataSources.open("builtin:signs?n=50");
                ImageSource copy = DataSources.inMemory(signs)) {
            assertEquals(signs.name(), copy.name());
            assertEquals(signs.shape(), copy.shape());
            assertEquals(signs.labelNames(), copy.labelNames());
            assertArrayEquals(signs.labels(), copy.labels());
            assertArrayEquals(signs.batch(0, 50).pixels(), copy.batch(0, 50).pixels());
        }
    }
}
