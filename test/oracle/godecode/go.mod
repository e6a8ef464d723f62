module certsd-lint/godecode

go 1.19
