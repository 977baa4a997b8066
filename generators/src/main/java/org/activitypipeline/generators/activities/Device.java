package org.activitypipeline.generators.activities;

import java.util.List;

/** {@code device_type} values, their share of activity and the operating systems they run. */
enum Device {
  LAPTOP("laptop", 50, List.of("Windows 11", "macOS 14", "Ubuntu 22.04")),
  DESKTOP("desktop", 20, List.of("Windows 11", "Windows 10", "Ubuntu 24.04")),
  MOBILE("mobile", 22, List.of("iOS 17", "Android 14")),
  TABLET("tablet", 8, List.of("iPadOS 17", "Android 13"));

  private final String label;
  private final int weight;
  private final List<String> systems;

  Device(String label, int weight, List<String> systems) {
    this.label = label;
    this.weight = weight;
    this.systems = systems;
  }

  String label() {
    return label;
  }

  int weight() {
    return weight;
  }

  List<String> systems() {
    return systems;
  }

  boolean workstation() {
    return this == LAPTOP || this == DESKTOP;
  }
}
