public enum MicsExportVersion { public static let string = "0.1.0" }
