.license "MIT"
r0 = 0
exit
