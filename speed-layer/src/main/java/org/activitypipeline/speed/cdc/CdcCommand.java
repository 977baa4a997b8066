package org.activitypipeline.speed.cdc;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the cdc process lands (replaced in this same change). */
@Command(name = "cdc", mixinStandardHelpOptions = true, description = "The cdc process.")
public final class CdcCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 1;
  }
}
