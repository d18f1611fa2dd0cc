package dev.infuse.inject.pelt;

import java.io.Serializable;

/**
 * One mention's window: token ids with the mention replaced by a single mask, cut around it. Serializable, so
 * a distributed build can move windows between machines.
 *
 * @param row the entity's row in the table being built
 * @param ids [CLS] window [SEP]
 * @param maskIndex where the mask sits in {@code ids}
 */
public record MaskWindow(int row, long[] ids, int maskIndex) implements Serializable {}
