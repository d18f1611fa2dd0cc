/**
 * WKLM (Xiong et al., ICLR 2020, "Pretrained Encyclopedia"): about half of the linked entity mentions in a window
 * are swapped for the name of another entity of the same type, and a binary head on each mention's [first; last]
 * token states says whether it was swapped. MLM beside it masks 5% of the tokens and never a mention's.
 * {@code --method mlm+wklm --domain DIR}.
 */
package dev.infuse.inject.wklm;
