"""Export files for the tests, from one set of writers (`files`: xlsx, CSV and ODS bytes):
hand-built sample sheets (`samples`) and the platforms' exports of generated classes (`forms`,
`lms`, `sheets`)."""
