package org.activitypipeline.generators.activities;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code activity_type} values with their share of activity, the devices they happen on, a plausible
 * duration and type-specific metadata.
 */
enum ActivityType {
  LOGIN("login", 12, EnumSet.allOf(Device.class)) {
    @Override
    int durationSeconds(RandomGenerator r) {
      return r.nextInt(6);
    }

    @Override
    void metadata(RandomGenerator r, Map<String, String> m) {
      m.put("auth_method", pick(r, List.of("password", "sso", "sso", "mfa_push", "passkey")));
      m.put("success", String.valueOf(r.nextInt(100) >= 4));
    }
  },
  LOGOUT("logout", 10, EnumSet.allOf(Device.class)) {
    @Override
    int durationSeconds(RandomGenerator r) {
      return 600 + r.nextInt(8 * 3600); // the session that ended
    }

    @Override
    void metadata(RandomGenerator r, Map<String, String> m) {
      m.put("reason", pick(r, List.of("user", "user", "user", "idle_timeout", "shutdown")));
    }
  },
  EMAIL("email", 24, EnumSet.allOf(Device.class)) {
    @Override
    int durationSeconds(RandomGenerator r) {
      return 5 + r.nextInt(600);
    }

    @Override
    void metadata(RandomGenerator r, Map<String, String> m) {
      m.put("action", pick(r, List.of("read", "read", "read", "sent", "replied", "forwarded")));
      m.put("recipients", String.valueOf(1 + r.nextInt(12)));
      m.put("has_attachment", String.valueOf(r.nextInt(100) < 20));
    }
  },
  MEETING("meeting", 9, EnumSet.allOf(Device.class)) {
    @Override
    int durationSeconds(RandomGenerator r) {
      return (3 + r.nextInt(16)) * 5 * 60; // 15 to 90 minutes in 5-minute steps
    }

    @Override
    void metadata(RandomGenerator r, Map<String, String> m) {
      m.put("platform", pick(r, List.of("zoom", "teams", "teams", "meet", "in_person")));
      m.put("participants", String.valueOf(2 + r.nextInt(24)));
    }
  },
  FILE_ACCESS("file_access", 17, EnumSet.allOf(Device.class)) {
    @Override
    int durationSeconds(RandomGenerator r) {
      return 1 + r.nextInt(900);
    }

    @Override
    void metadata(RandomGenerator r, Map<String, String> m) {
      m.put("action", pick(r, List.of("read", "read", "read", "write", "write", "share", "download", "delete")));
      m.put("file_type", pick(r, List.of("docx", "xlsx", "pptx", "pdf", "csv", "png", "txt")));
      m.put("size_kb", String.valueOf(1 + r.nextInt(50_000)));
    }
  },
  VPN_CONNECT("vpn_connect", 6, EnumSet.of(Device.LAPTOP, Device.DESKTOP, Device.MOBILE)) {
    @Override
    int durationSeconds(RandomGenerator r) {
      return 600 + r.nextInt(8 * 3600);
    }

    @Override
    void metadata(RandomGenerator r, Map<String, String> m) {
      m.put("gateway", pick(r, List.of("eu-central", "eu-west", "us-east", "us-west", "ap-southeast")));
      m.put("protocol", pick(r, List.of("wireguard", "wireguard", "ipsec", "openvpn")));
    }
  },
  CODE_COMMIT("code_commit", 7, EnumSet.of(Device.LAPTOP, Device.DESKTOP)) {
    @Override
    int durationSeconds(RandomGenerator r) {
      return 0;
    }

    @Override
    void metadata(RandomGenerator r, Map<String, String> m) {
      m.put("repository", pick(r, List.of("billing-service", "web-app", "data-platform", "mobile-app", "infra",
          "activity-pipeline")));
      m.put("branch", pick(r, List.of("main", "main", "feature", "bugfix", "release")));
      m.put("files_changed", String.valueOf(1 + r.nextInt(20)));
      m.put("lines_added", String.valueOf(r.nextInt(400)));
      m.put("lines_deleted", String.valueOf(r.nextInt(200)));
    }
  },
  CHAT_MESSAGE("chat_message", 11, EnumSet.allOf(Device.class)) {
    @Override
    int durationSeconds(RandomGenerator r) {
      return 1 + r.nextInt(60);
    }

    @Override
    void metadata(RandomGenerator r, Map<String, String> m) {
      m.put("app", pick(r, List.of("slack", "teams")));
      m.put("channel_type", pick(r, List.of("direct", "direct", "channel", "thread")));
      m.put("length", String.valueOf(1 + r.nextInt(400)));
    }
  },
  PRINT_JOB("print_job", 2, EnumSet.of(Device.LAPTOP, Device.DESKTOP)) {
    @Override
    int durationSeconds(RandomGenerator r) {
      return 5 + r.nextInt(120);
    }

    @Override
    void metadata(RandomGenerator r, Map<String, String> m) {
      m.put("pages", String.valueOf(1 + r.nextInt(40)));
      m.put("color", String.valueOf(r.nextInt(100) < 30));
    }
  };

  private final String label;
  private final int weight;
  private final Set<Device> devices;

  ActivityType(String label, int weight, Set<Device> devices) {
    this.label = label;
    this.weight = weight;
    this.devices = devices;
  }

  String label() {
    return label;
  }

  int weight() {
    return weight;
  }

  /** Devices this activity happens on. */
  Set<Device> devices() {
    return devices;
  }

  abstract int durationSeconds(RandomGenerator r);

  abstract void metadata(RandomGenerator r, Map<String, String> m);

  Map<String, String> metadata(RandomGenerator r) {
    Map<String, String> m = new LinkedHashMap<>();
    metadata(r, m);
    return m;
  }

  private static String pick(RandomGenerator r, List<String> from) {
    return from.get(r.nextInt(from.size()));
  }
}
