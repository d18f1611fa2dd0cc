package dev.infuse.bench;

/** What one method cost in wall-clock seconds: injecting (pretraining / table building, 0 for none) and running every task. */
public record MethodCost(String method, double injectSeconds, double taskSeconds) {}
