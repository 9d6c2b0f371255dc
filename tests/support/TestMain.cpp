#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>
#include <stdexcept>

// The runner of every test binary: runs all registered fixtures (or only the fixture named by the
// first argument, as CTest does, one test per fixture), prints each test's name and result, and
// exits non-zero when any failed.
int main(int argc, char** argv)
{
    CppUnit::TestResult controller;
    CppUnit::TestResultCollector result;
    controller.addListener(&result);
    CppUnit::BriefTestProgressListener progress;
    controller.addListener(&progress);
    CppUnit::TestRunner runner;
    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    try
    {
        runner.run(controller, argc > 1 ? argv[1] : "");
    }
    catch (const std::invalid_argument&)
    {
        std::cerr << "no fixture named " << argv[1] << std::endl;
        return 2;
    }
    CppUnit::CompilerOutputter outputter(&result, std::cerr);
    outputter.write();
    std::cout << result.runTests() - result.testFailuresTotal() << " passed, " << result.testFailuresTotal()
              << " failed" << std::endl;
    return result.wasSuccessful() ? 0 : 1;
}
