^XA
^CI28
^PW812
^LL1218
^LH0,0
^FO24,24^A0N,23,23^FH^FDFROM: Packline Demo Shop^FS
^FO24,50^A0N,23,23^FH^FDUnit 7, Riverside Industrial Estate, Leeds LS1 4AB^FS
^FO24,120^GB764,3,3^FS
^FO24,132^A0N,23,23^FH^FDSHIP TO:^FS
^FO24,168^A0N,37,37^FH^FDMaximilian Alexander Friedrich-Wilhelm^FS
^FO24,211^A0N,37,37^FH^FDvon und zu Hohenzollern-Sigmaringen^FS
^FO24,252^A0N,20,20^FH^FDLine 1 of a very long address: Hinterhaus, Aufgang B, bei Familie^FS
^FO24,275^A0N,20,20^FH^FDSchmidt-Oberhuber^FS
^FO24,298^A0N,20,20^FH^FDLine 2 of a very long address: Hinterhaus, Aufgang B, bei Familie^FS
^FO24,321^A0N,20,20^FH^FDSchmidt-Oberhuber^FS
^FO24,344^A0N,20,20^FH^FDLine 3 of a very long address: Hinterhaus, Aufgang B, bei Familie^FS
^FO24,367^A0N,20,20^FH^FDSchmidt-Oberhuber^FS
^FO24,390^A0N,20,20^FH^FDLine 4 of a very long address: Hinterhaus, Aufgang B, bei Familie^FS
^FO24,413^A0N,20,20^FH^FDSchmidt-Oberhuber^FS
^FO24,436^A0N,20,20^FH^FDLine 5 of a very long address: Hinterhaus, Aufgang B, bei Familie...^FS
^FO24,464^A0N,28,28^FH^FDTEL +49 30 1234567890^FS
^FO24,511^GB764,3,3^FS
^FO24,527^A0N,51,51^FH^FDUPS^FS
^FO24,603^A0N,20,20^FH^FDExpress Saver International Next Business D...^FS
^FO24,647^A0N,28,28^FH^FDORDER SO-2024-000123^FS
^FO24,679^A0N,28,28^FH^FDPARCEL 1/2^FS
^FO24,711^A0N,28,28^FH^FDWEIGHT 1.25 kg^FS
^FO24,743^A0N,28,28^FH^FD2026-11-23  bench-01^FS
^FO550,558^BQN,2,6^FDQA,PL1|SO-2024-000123|1Z5R89390357567127^FS
^FO24,831^A0N,17,17^FH^FD43 items: 2 x TEE-RED-M, 1 x MUG-01, 1 x SKU-1000, 1 x SKU-1001, 1 x SKU-1002, 1 x^FS
^FO24,851^A0N,17,17^FH^FDSKU-1003, 1 x SKU-1004, 1 x SKU-1005, 1 x SKU-1006, 1 x SKU-1007, 1 x SKU-1008, 1 x...^FS
^FO24,911^GB764,3,3^FS
^FO155,927^BY3^BCN,133,N,N,N,A^FD1Z5R89390357567127^FS
^FO24,1060^A0N,27,27^FB764,1,0,C,0^FH^FD1Z5R89390357567127^FS
^PQ1
^XZ
