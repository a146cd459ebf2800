/**
 * Own reader and writer for the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format: an 8-byte little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON header,
 * then the raw little-endian, row-major data buffer.
 *
 * <p>Entry points: {@link io.github.editunit.framework.safetensors.SafetensorsFile} (one file,
 * memory-mapped), {@link io.github.editunit.framework.safetensors.ShardedSafetensors} (a
 * {@code model.safetensors.index.json} and its shards), {@link
 * io.github.editunit.framework.safetensors.CheckpointFiles} (find the checkpoint in a model
 * directory, refusing pickle checkpoints) and {@link
 * io.github.editunit.framework.safetensors.SafetensorsWriter} (atomic writer). Every malformed
 * input is reported as a {@link io.github.editunit.framework.safetensors.SafetensorsFormatException}
 * naming the file, the tensor and the field.
 */
package io.github.editunit.framework.safetensors;
