package dev.stator.reference;

import java.util.ArrayList;
import java.util.List;

/** The context of generated charts: a small counter that guards read, and the action log. */
public final class Ctx {
  /** Read by guards, changed by transition actions. */
  public int n;
  /** Every action appends its label here. */
  public final List<String> log = new ArrayList<>();
}
