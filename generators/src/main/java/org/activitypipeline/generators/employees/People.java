package org.activitypipeline.generators.employees;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/** Names, places and the departments a seeded company starts with. Pure data and tiny helpers. */
final class People {
  static final List<String> FIRST_NAMES = List.of("Ada", "Alan", "Amara", "Ana", "Andrei", "Aisha", "Ben", "Bruno",
      "Camille", "Carlos", "Chen", "Chloe", "Daniel", "Deepa", "Diego", "Elena", "Emma", "Erik", "Fatima", "Felix",
      "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jamal", "Jana", "Javier", "Jin", "Julia", "Kai", "Kenji", "Lara",
      "Leon", "Lina", "Lucas", "Maya", "Mateo", "Mei", "Mohammed", "Nadia", "Nina", "Noah", "Olga", "Omar", "Priya",
      "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Tom", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe",
      "Zsofia");
  static final List<String> LAST_NAMES = List.of("Abe", "Adeyemi", "Alvarez", "Andersen", "Bauer", "Becker", "Brown",
      "Costa", "Dubois", "Eriksen", "Fernandes", "Fischer", "Garcia", "Gupta", "Haddad", "Hansen", "Hoffmann", "Ito",
      "Ivanova", "Jensen", "Kim", "Kowalski", "Kumar", "Larsen", "Lee", "Lopez", "Martin", "Meyer", "Moreau",
      "Müller", "Nakamura", "Nguyen", "Novak", "O'Brien", "Okafor", "Olsen", "Park", "Patel", "Pereira", "Petrov",
      "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Smith", "Sousa", "Suzuki", "Tanaka", "Taylor", "Thomas",
      "Wagner", "Wang", "Weber", "Williams", "Wilson", "Wójcik", "Yamamoto", "Zhang", "Zimmermann");
  static final List<String> CITIES = List.of("Berlin", "London", "New York", "San Francisco", "Lisbon", "Warsaw",
      "Austin", "Chicago", "Toronto", "Singapore", "Bangalore", "Sydney", "Amsterdam", "Zurich", "Frankfurt",
      "Tokyo", "São Paulo", "Dublin");
  static final String REMOTE = "Remote";
  static final String EMAIL_DOMAIN = "acme.example";

  /** The first departments of a seeded company, in seeding order: name and location. */
  private static final List<String[]> DEPARTMENTS = List.of(new String[] {"Engineering", "Berlin"},
      new String[] {"Sales", "New York"}, new String[] {"Marketing", "London"},
      new String[] {"Finance", "Frankfurt"}, new String[] {"Human Resources", "London"},
      new String[] {"Customer Support", "Lisbon"}, new String[] {"Operations", "Chicago"},
      new String[] {"Legal", "New York"}, new String[] {"Product", "San Francisco"},
      new String[] {"Data Science", "Berlin"}, new String[] {"Security", "Austin"}, new String[] {"IT", "Warsaw"},
      new String[] {"Research", "Zurich"}, new String[] {"Facilities", "Chicago"},
      new String[] {"Procurement", "Singapore"}, new String[] {"Design", "Amsterdam"});

  private People() {
  }

  /** The {@code index}-th (0-based) department of a seeded company; names are unique and stable. */
  static Department department(int index) {
    String costCenter = "CC-" + (1000 + 10 * index);
    if (index < DEPARTMENTS.size()) {
      return new Department(0, DEPARTMENTS.get(index)[0], costCenter, DEPARTMENTS.get(index)[1]);
    }
    return new Department(0, "Business Unit " + (index + 1), costCenter, CITIES.get(index % CITIES.size()));
  }

  static <T> T pick(RandomGenerator random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  /** {@code first.last@acme.example}, or {@code first.last2@...} and up while {@code taken}. */
  static String email(String first, String last, Predicate<String> taken) {
    String local = ascii(first) + "." + ascii(last);
    String email = local + "@" + EMAIL_DOMAIN;
    for (int n = 2; taken.test(email); n++) {
      email = local + n + "@" + EMAIL_DOMAIN;
    }
    return email;
  }

  private static String ascii(String name) {
    String stripped = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return stripped.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }
}
