"""The seed report's two budget tables, transcribed exactly as printed (errors included).

Kecamatan Lumajang, Laporan Kinerja Triwulan III 2021. Known errors (domain.md §5):
kegiatan V, its sub kegiatan and its rincian line print sisa '-' where
14.889.710 − 14.850.000 = 39.710; the refocusing kode '7.01.06.2.01.02.' has a
trailing dot. Everything else adds up.
"""

REFOCUSING_HEADER = ['NO', 'KODE SUB KEGIATAN', 'URAIAN SUB KEGIATAN', 'PAGU AWAL', 'PAGU REFOKUSING', 'BESARAN PENGURANGAN PAGU']

REFOCUSING_ROWS = [
    ['1', '7.01.01.2.01.02', 'Koordinasi dan Penyusunan Dokumen RKA-SKPD', '2.620.000', '2.620.000', '-'],
    ['2', '7.01.01.2.01.06', 'Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD', '1.408.000', '772.000', '636.000'],
    ['3', '7.01.01.2.02.01', 'Penyediaan Gaji dan Tunjangan ASN', '5.651.946.797', '5.651.946.797', '-'],
    ['4', '7.01.01.2.02.02', 'Penyediaan Administrasi Pelaksanaan Tugas ASN', '36.162.344', '8.953.086', '27.209.258'],
    ['5', '7.01.01.2.02.05', 'Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD', '1.408.000', '1.408.000', '-'],
    ['6', '7.01.01.2.03.06', 'Penatausahaan Barang Milik Daerah pada SKPD', '2.376.000', '594.000', '1.782.000'],
    ['7', '7.01.01.2.06.01', 'Penyediaan Komponen Instalasi Listrik/Penerangan Bangunan Kantor', '2.745.380', '2.745.380', '-'],
    ['8', '7.01.01.2.06.04', 'Penyediaan Bahan Logistik Kantor', '31.257.590', '31.257.590', '-'],
    ['9', '7.01.01.2.06.05', 'Penyediaan Barang Cetak dan Penggandaan', '17.860.000', '17.136.250', '723.750'],
    ['10', '7.01.01.2.06.09', 'Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD', '32.680.000', '17.610.000', '15.070.000'],
    ['11', '7.01.01.2.07.06', 'Pengadaan Peralatan dan Mesin Lainnya', '14.889.710', '14.889.710', '-'],
    ['12', '7.01.01.2.08.02', 'Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik', '107.873.800', '79.332.608', '28.541.192'],
    ['13', '7.01.01.2.08.04', 'Penyediaan Jasa Pelayanan Umum Kantor', '225.600.000', '203.700.000', '21.900.000'],
    ['14', '7.01.01.2.09.02', 'Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, Pajak, dan Perizinan Kendaraan Dinas', '34.743.400', '34.743.400', '-'],
    ['15', '7.01.01.2.09.06', 'Pemeliharaan Peralatan dan Mesin Lainnya', '24.350.000', '24.350.000', '-'],
    ['16', '7.01.01.2.09.09', 'Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya', '75.604.048', '13.504.040', '62.100.008'],
    ['17', '7.01.03.2.01.01', 'Peningkatan Partisipasi Masyarakat dalam Forum Musyawarah Perencanaan Pembangunan di Desa', '2.816.000', '2.816.000', '-'],
    ['18', '7.01.03.2.01.03', 'Peningkatan Efektifitas Kegiatan Pemberdayaan Masyarakat di Wilayah Kecamatan', '20.625.000', '15.625.000', '5.000.000'],
    ['19', '7.01.03.2.01.08', 'Pelaksanaan Tugas Forum Koordinasi Pimpinan di Kecamatan', '3.600.000', '1.800.000', '1.800.000'],
    ['20', '7.01.06.2.01.02.', 'Fasilitasi Administrasi Tata Pemerintahan Desa', '129.600.000', '129.600.000', '-'],
    ['JUMLAH', '', '', '6.420.166.069', '6.255.403.861', '164.762.208'],
]

REALISASI_HEADER = ['NO', 'NAMA PROGRAM/ KEGIATAN/ SUB KEGIATAN', 'PLAFON ANGGARAN', 'REALISASI KEUANGAN', 'SISA ANGGARAN (Rp.)']  # two header rows: REALISASI KEUANGAN over JUMLAH (RP.)
REALISASI_SUBHEADER = ['', '', '', 'JUMLAH (RP.)', '']

REALISASI_ROWS = [
    ['', 'TOTAL', '6.255.403.861', '4.156.201.042', '2.099.202.819'],
    ['A', 'PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA', '6.105.562.861', '4.044.060.042', '2.061.502.819'],
    ['I', 'Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah', '3.392.000', '2.620.000', '772.000'],
    ['1', 'Koordinasi dan Penyusunan Dokumen RKA-SKPD', '2.620.000', '2.620.000', '-'],
    ['2', 'Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD', '772.000', '-', '772.000'],
    ['II', 'Administrasi Keuangan Perangkat Daerah', '5.662.307.883', '3.707.055.272', '1.955.252.611'],
    ['1', 'Penyediaan Gaji dan Tunjangan ASN', '5.651.946.797', '3.696.694.186', '1.955.252.611'],
    ['2', 'Penyediaan Administrasi Pelaksanaan Tugas ASN', '8.953.086', '8.953.086', '-'],
    ['3', 'Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD', '1.408.000', '1.408.000', '-'],
    ['III', 'Administrasi Barang Milik Daerah pada Perangkat Daerah', '594.000', '594.000', '-'],
    ['1', 'Penatausahaan Barang Milik Daerah pada SKPD', '594.000', '594.000', '-'],
    ['IV', 'Administrasi Umum Perangkat Daerah', '68.749.220', '60.551.000', '8.198.220'],
    ['1', 'Penyediaan Komponen Instalasi Listrik/Penerangan Bangunan Kantor', '2.745.380', '2.745.380', '-'],
    ['2', 'Penyediaan Bahan Logistik Kantor', '31.257.590', '29.914.270', '1.343.320'],
    ['', 'Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor', '26.204.090', '26.204.090', '-'],
    ['', 'Swakelola', '5.053.500', '3.710.180', '1.343.320'],
    ['3', 'Penyediaan Barang Cetak dan Penggandaan', '17.136.250', '14.781.350', '2.354.900'],
    ['4', 'Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD', '17.610.000', '13.110.000', '4.500.000'],
    ['V', 'Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah', '14.889.710', '14.850.000', '-'],
    ['1', 'Pengadaan Peralatan dan Mesin Lainnya', '14.889.710', '14.850.000', '-'],
    ['', 'Belanja Modal Alat Kantor Lainnya', '14.889.710', '14.850.000', '-'],
    ['VI', 'Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah', '283.032.608', '201.908.415', '81.124.193'],
    ['1', 'Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik', '79.332.608', '51.674.449', '27.658.159'],
    ['2', 'Penyediaan Jasa Pelayanan Umum Kantor', '203.700.000', '150.233.966', '53.466.034'],
    ['VII', 'Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah', '72.597.440', '56.481.355', '16.116.085'],
    ['1', 'Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, Pajak, dan Perizinan Kendaraan Dinas', '34.743.400', '25.196.355', '9.547.045'],
    ['2', 'Pemeliharaan Peralatan dan Mesin Lainnya', '24.350.000', '17.800.000', '6.550.000'],
    ['3', 'Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya', '13.504.040', '13.485.000', '19.040'],
    ['', 'Belanja Pemeliharaan Bangunan Gedung-Bangunan Gedung Tempat Tinggal-Rumah Negara Golongan III', '10.004.040', '9.990.000', '14.040'],
    ['', 'Belanja Modal Bangunan Gedung Kantor', '-', '-', '-'],
    ['', 'Biaya perencanaan pengecatan rumah dinas dan rehab gedung kantor', '3.500.000', '3.495.000', '5.000'],
    ['', 'Biaya pengawasan pengecatan rumah dinas', '-', '-', '-'],
    ['', 'Biaya perencanaan rehab gedung kantor', '-', '-', '-'],
    ['', 'Biaya pengawasan rehab gedung kantor', '-', '-', '-'],
    ['', 'Biaya pelaksanaan', '-', '-', '-'],
    ['B', 'PROGRAM PEMBERDAYAAN MASYARAKAT DESA DAN KELURAHAN', '18.441.000', '13.141.000', '5.300.000'],
    ['I', 'Koordinasi Kegiatan Pemberdayaan Desa', '18.441.000', '13.141.000', '5.300.000'],
    ['1', 'Peningkatan Partisipasi Masyarakat dalam Forum Musyawarah Perencanaan Pembangunan di Desa', '2.816.000', '2.816.000', '-'],
    ['2', 'Peningkatan Efektifitas Kegiatan Pemberdayaan Masyarakat di Wilayah Kecamatan', '15.625.000', '10.325.000', '5.300.000'],
    ['C', 'PROGRAM PENYELENGGARAAN URUSAN PEMERINTAHAN UMUM', '1.800.000', '1.800.000', '-'],
    ['I', 'Penyelenggaraan Urusan Pemerintahan Umum Sesuai Penugasan Kepala Daerah', '1.800.000', '1.800.000', '-'],
    ['1', 'Pelaksanaan Tugas Forum Koordinasi Pimpinan di Kecamatan', '1.800.000', '1.800.000', '-'],
    ['D', 'PROGRAM PEMBINAAN DAN PENGAWASAN PEMERINTAHAN DESA', '129.600.000', '97.200.000', '32.400.000'],
    ['I', 'Fasilitasi, Rekomendasi dan Koordinasi Pembinaan dan Pengawasan Pemerintahan Desa', '129.600.000', '97.200.000', '32.400.000'],
    ['1', 'Fasilitasi Administrasi Tata Pemerintahan Desa', '129.600.000', '97.200.000', '32.400.000'],
]

