package org.ncguard.engine;

/** Memory order of an image batch: channels first (PyTorch) or channels last (TensorFlow). */
public enum Layout {
    NCHW,
    NHWC
}
