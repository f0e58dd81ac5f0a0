# Generates the man page pasidcheck.1.gz from `--help` with Debian's help2man (cmake -P script).
# Every subcommand's own --help becomes a subsection of COMMANDS, so the page is the whole help.
# Inputs: BIN (the pasidcheck binary), HELP2MAN, OUT (the .1.gz to write), WORK (a scratch folder).
set(commands replay explain list check minimize prove matrix corpus report bench)
set(include_text "[NAME]\npasidcheck \\- check kernel DMA with PASID and SVA designs against security invariants\n\n[COMMANDS]\n")
foreach(cmd IN LISTS commands)
  execute_process(COMMAND ${BIN} ${cmd} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pasidcheck ${cmd} --help failed (${rc})")
  endif()
  # roff: escape backslashes, and keep a leading dot or quote from being read as a request.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND include_text ".SS \"pasidcheck ${cmd}\"\n.nf\n${help}.fi\n")
endforeach()
string(APPEND include_text "\n[FILES]\n.TP\n/usr/share/pasidcheck/corpora\nThe traces with their expected verdicts; \\fBpasidcheck corpus /usr/share/pasidcheck/corpora\\fR replays them.\n.TP\n/usr/share/doc/pasidcheck\nThe user guide, the model, the engines and the results.\n")
file(WRITE ${WORK}/pasidcheck.h2m "${include_text}")
execute_process(
  COMMAND ${HELP2MAN} --no-info --section=1 --no-discard-stderr
          --include=${WORK}/pasidcheck.h2m --output=${WORK}/pasidcheck.1 ${BIN}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc})")
endif()
file(REMOVE ${OUT})
execute_process(COMMAND gzip -9n ${WORK}/pasidcheck.1 RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip failed (${rc})")
endif()
file(RENAME ${WORK}/pasidcheck.1.gz ${OUT})
