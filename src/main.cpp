#include "captrack/app/CaptrackApp.h"

#include <iostream>

POCO_SERVER_MAIN(captrack::app::CaptrackApp)
