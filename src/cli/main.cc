// weefsel: the command line. A thin shell over the libraries; see cli/commands.h.
#include <cstdio>
#include <iostream>

#include "base/log.h"
#include "cli/commands.h"

namespace weefsel::cli {

int Fail(const Status& s) {
  std::cerr << "weefsel: " << s.ToString() << "\n";
  switch (s.code()) {
    case StatusCode::kInternal:
    case StatusCode::kUnavailable:
      return 1;
    default:
      return 2;
  }
}

void SetAction(CLI::App* sub, std::function<int()> fn) {
  sub->callback([fn = std::move(fn)] {
    int code = fn();
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace weefsel::cli

int main(int argc, char** argv) {
  CLI::App app{
      "weefsel: an open platform for social innovation in Dutch municipalities.\n"
      "Verbinden versterkt weefsel: connecting strengthens the fabric."};
  app.require_subcommand(1);
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off");
  app.set_version_flag("--version", "weefsel 0.1.0");
  weefsel::cli::RegisterStoreCommands(app);
  weefsel::cli::RegisterServeCommands(app);
  weefsel::cli::RegisterFundCommands(app);
  weefsel::cli::RegisterFabricCommands(app);
  weefsel::cli::RegisterMatchCommands(app);
  weefsel::cli::RegisterBackupCommands(app);
  weefsel::cli::RegisterDigestCommands(app);  // after fabric: adds `fabric snapshot`
  // Engine command groups register here as they land.
  app.parse_complete_callback([&] { weefsel::InitLogging(log_level); });
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return 0;
}
