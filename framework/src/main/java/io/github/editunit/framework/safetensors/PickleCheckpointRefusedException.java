package io.github.editunit.framework.safetensors;

import java.io.IOException;

/**
 * A model directory holds only PyTorch pickle checkpoints ({@code *.bin}, {@code *.pt},
 * {@code *.pth}, {@code *.ckpt}). They are refused and never unpickled, because unpickling can run
 * arbitrary code; the message explains how to convert them to safetensors.
 */
public class PickleCheckpointRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message full explanation including the conversion command */
    public PickleCheckpointRefusedException(String message) {
        super(message);
    }
}
