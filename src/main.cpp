#include "captrack/app/CaptrackApp.h"

POCO_SERVER_MAIN(captrack::app::CaptrackApp)
