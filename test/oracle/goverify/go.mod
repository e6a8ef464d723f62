module certsd-lint/goverify

go 1.19
