package org.activitypipeline.speed.poller;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the poller process lands (replaced in this same change). */
@Command(name = "poller", mixinStandardHelpOptions = true, description = "The poller process.")
public final class PollerCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 1;
  }
}
