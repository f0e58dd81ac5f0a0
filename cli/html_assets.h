// The inline stylesheet and script of the HTML reports (cli/html_report.h).
#pragma once

namespace pasidcheck::cli {

extern const char* const kReportCss;
extern const char* const kReportJs;

}  // namespace pasidcheck::cli
