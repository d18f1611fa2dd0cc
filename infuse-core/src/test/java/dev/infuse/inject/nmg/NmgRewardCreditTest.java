package dev.infuse.inject.nmg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NmgRewardCreditTest {
    //                                      0      1     2     3      4
    static final boolean[] PLAYER = {false, true, true, false, true};
    static final boolean[] COMPARATOR = {false, true, false, true, false};

    @Test
    void onlyThePlayersOwnTokensAreCreditedWithTheSignOfTheDifference() {
        RewardCredit won = RewardCredit.of(PLAYER, COMPARATOR, 0.8, 0.7);
        assertArrayEquals(new int[] {2, 4}, won.positions(), "token 1 was chosen by both, token 3 by the comparator alone");
        assertEquals(1f, won.reward());
        assertEquals(-1f, RewardCredit.of(PLAYER, COMPARATOR, 0.6, 0.7).reward());
        assertEquals(0f, RewardCredit.of(PLAYER, COMPARATOR, 0.7, 0.7).reward());
    }

    @Test
    void aComparatorThatChoseTheSameTokensLeavesNothingToCredit() {
        assertTrue(RewardCredit.of(PLAYER, PLAYER.clone(), 0.9, 0.1).isEmpty());
    }
}
