// A library user imports `MicsExport` alone: the stages and their shared vocabulary come with it.
@_exported import MicsDecode
@_exported import MicsProject
@_exported import MicsSink
@_exported import MicsVocabulary
