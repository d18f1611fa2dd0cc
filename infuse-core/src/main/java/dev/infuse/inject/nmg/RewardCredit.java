package dev.infuse.inject.nmg;

/**
 * Who gets the credit for an episode's outcome. The player beat (or lost to) a comparator only through the
 * tokens it masked and the comparator did not, so only those tokens of the player's choice are rewarded;
 * the tokens both chose explain nothing about the difference.
 *
 * @param positions the player's tokens the comparator did not choose, in position order
 * @param reward sign(player − comparator): 1, 0 or −1
 */
public record RewardCredit(int[] positions, float reward) {
    public static RewardCredit of(boolean[] player, boolean[] comparator, double playerScore, double comparatorScore) {
        if (player.length != comparator.length) {
            throw new IllegalArgumentException("choices over " + player.length + " and " + comparator.length + " tokens");
        }
        int n = 0;
        for (int i = 0; i < player.length; i++) {
            n += player[i] && !comparator[i] ? 1 : 0;
        }
        int[] pos = new int[n];
        int j = 0;
        for (int i = 0; i < player.length; i++) {
            if (player[i] && !comparator[i]) {
                pos[j++] = i;
            }
        }
        return new RewardCredit(pos, (float) Math.signum(playerScore - comparatorScore));
    }

    public boolean isEmpty() {
        return positions.length == 0;
    }
}
