/**
 * Adapters and LoRA as knowledge plug-ins that only add encoder modules: AdapterHub's bottleneck layouts
 * (Houlsby's two adapters a layer, Pfeiffer's {@code seq_bn} one) and PEFT's LoRA, each saved in the files
 * those libraries read ({@code adapter_config.json} beside {@code adapter.safetensors} or
 * {@code adapter_model.safetensors}), and a LoRA folded into the weights it wraps ({@link dev.infuse.inject.adapter.LoraMerge}).
 */
package dev.infuse.inject.adapter;
