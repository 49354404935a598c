package dev.stator.internal.loop;

/**
 * A cache line of bytes between the senders' fields and the loop's. Bytes, not longs: the JVM
 * fills holes a superclass leaves with a subclass's smaller fields, so longs could leave a gap
 * after the senders' fields for one of the loop's to fill.
 */
abstract class LoopEntrancePadding extends LoopEntrance {
  byte p00, p01, p02, p03, p04, p05, p06, p07;
  byte p08, p09, p10, p11, p12, p13, p14, p15;
  byte p16, p17, p18, p19, p20, p21, p22, p23;
  byte p24, p25, p26, p27, p28, p29, p30, p31;
  byte p32, p33, p34, p35, p36, p37, p38, p39;
  byte p40, p41, p42, p43, p44, p45, p46, p47;
  byte p48, p49, p50, p51, p52, p53, p54, p55;
  byte p56, p57, p58, p59, p60, p61, p62, p63;
}
